role "a" {
  source = "sts"
  region = 1e600000000
}
