role "a" {
  source = ["a"]
}
