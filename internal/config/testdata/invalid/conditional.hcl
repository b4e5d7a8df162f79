role "a" {
  source = "sts"
  region = env("AWS_REGION", "") == "" ? "us-east-1" : env("AWS_REGION")
}
