role "a" {
  source      = "sts"
  source_role = { name = "b" }
}
