# A typo in the block type.
rol "a" {
  source = "sts"
}
