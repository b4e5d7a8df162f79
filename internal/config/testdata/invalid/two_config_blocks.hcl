role "a" {
  source = "sts"
  config {
    role_arn = "arn:aws:iam::111122223333:role/a"
  }
  config {
    duration = "1h"
  }
}
