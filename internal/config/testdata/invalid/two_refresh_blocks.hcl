role "a" {
  source = "sts"
  refresh {
    advisory = "5m"
  }
  refresh {
    mandatory = "1m"
  }
}
