region = "us-east-1"

role "a" {
  source = "sts"
}
