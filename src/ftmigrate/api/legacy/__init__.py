"""Legacy surface emulation (placeholder)."""
