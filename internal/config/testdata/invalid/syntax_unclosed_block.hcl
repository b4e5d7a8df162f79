role "a" {
  source = "sts"
