role "a" {
  source = "sts"
  source = "sso"
}
