# Five independent mistakes in five roles: brs validate reports all of them in one run.

role "syntax" {
  source = "sts"
  region =
}

role "typo" {
  source = "sts"
  regoin = "eu-west-1"
}

role "wrongtype" {
  source = "sts"
  config {
    role_arn = "arn:aws:iam::111122223333:role/wrongtype"
    duration = ["1h"]
  }
}

role "unknown" {
  source = "sst"
  config {
    role_arn = "arn:aws:iam::111122223333:role/unknown"
  }
}

role "badarn" {
  source = "sts"
  config {
    role_arn = "analytics"
  }
}

role "fine" {
  source = "sts"
  config {
    role_arn = "arn:aws:iam::111122223333:role/fine"
  }
}
