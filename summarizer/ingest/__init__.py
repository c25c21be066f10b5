"""Inputs -> a stream of Articles (or Failures): files, folders, stdin, URLs and feeds."""
