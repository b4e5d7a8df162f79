plugin "vault" {
  command = "/opt/brs/vault"
  args    = "--x"
}

role "a" {
  source = "vault"
}
