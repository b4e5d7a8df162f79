role "a" {
  source = "sts"
  refresh {
    advisory  = "1m"
    mandatory = "1m"
  }
}
