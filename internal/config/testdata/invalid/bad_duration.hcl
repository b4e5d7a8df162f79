role "a" {
  source = "sts"
  refresh {
    advisory = "5 minutes"
  }
}
