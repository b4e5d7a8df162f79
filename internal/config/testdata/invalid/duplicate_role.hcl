role "a" {
  source = "sts"
}

role "b" {
  source = "sts"
}

  role "a" {
  source = "sso"
}
