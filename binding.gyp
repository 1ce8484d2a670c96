{
  "targets": [
    {
      "target_name": "fibwire_netlink",
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-pthread", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["OS=='linux'", {
          "ldflags": ["-pthread"],
          "sources": [
            "native/addon.cc",
            "native/named_netns.cc",
            "native/netlink_socket.cc",
            "native/netns.cc",
            "native/system_error.cc"
          ]
        }, {
          "sources": ["native/unsupported.cc"]
        }]
      ]
    }
  ]
}
