role "a" {
  source = ""
}
