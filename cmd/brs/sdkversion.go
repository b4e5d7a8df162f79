package main

import "github.com/brs-go/brs/plugin"

// sdkVersion is the plugin SDK version a new plugin requires.
const sdkVersion = plugin.SDKVersion
