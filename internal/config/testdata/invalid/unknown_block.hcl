role "a" {
  source = "sts"

  refresh_window {
    advisory = "5m"
  }
}
