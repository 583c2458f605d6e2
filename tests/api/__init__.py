"""Tests of the bundled target API (ftmigrate.api) and its legacy emulation."""
