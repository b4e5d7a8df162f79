role "default" {
  source = "sts"
}
