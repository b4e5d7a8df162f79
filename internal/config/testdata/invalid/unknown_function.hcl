role "a" {
  source = "sts"
  region = envv("AWS_REGION")
}
