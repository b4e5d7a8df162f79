plugin "vault" {
  command = "/opt/brs/vault"
  args    = ["--x", null]
}

role "a" {
  source = "vault"
}
