"""Family-neutral services: presets and interlocks, write planning, backups, logs."""
