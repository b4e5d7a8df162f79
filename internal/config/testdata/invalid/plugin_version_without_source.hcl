plugin "vault" {
  command = "brs-plugin-vault"
  version = "~> 1.2"
}

role "a" {
  source = "vault"
}
