role "a" {
  source = "sts"
  refresh "fast" {
    advisory = "1m"
  }
}
