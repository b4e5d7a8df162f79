role "a" {
  source = "sts"
  refresh {
    mandatory = "-1m"
  }
}
