role "a" {
  source      = "sts"
  source_role = "a"
}
