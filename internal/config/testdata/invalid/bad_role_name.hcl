role "-a" {
  source = "sts"
}
