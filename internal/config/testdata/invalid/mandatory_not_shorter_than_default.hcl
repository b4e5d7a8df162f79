role "a" {
  source = "sts"
  refresh {
    mandatory = "10m"
  }
}
