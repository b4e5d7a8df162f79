role "a" "b" {
  source = "sts"
}
