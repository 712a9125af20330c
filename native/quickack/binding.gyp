{
  "targets": [
    {
      "target_name": "quickack",
      "sources": ["quickack.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
