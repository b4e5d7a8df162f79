role "a" {
  source = "sts"
  region = "us-east-${1 + 0}"
}
