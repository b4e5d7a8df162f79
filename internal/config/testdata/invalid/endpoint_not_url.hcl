role "a" {
  source   = "sts"
  endpoint = "127.0.0.1:9000"
}
