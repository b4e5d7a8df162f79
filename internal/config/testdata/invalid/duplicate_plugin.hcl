plugin "vault" {
  command = "/opt/brs/vault"
}

plugin "vault" {
  command = "/opt/brs/vault2"
}

role "a" {
  source = "vault"
}
