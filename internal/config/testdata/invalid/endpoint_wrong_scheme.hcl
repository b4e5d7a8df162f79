role "a" {
  source   = "sts"
  endpoint = "ftp://127.0.0.1/"
}
