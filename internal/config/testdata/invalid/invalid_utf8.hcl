role "a" {
  source = "sts"
  region = "us-east-ÿ"
}
