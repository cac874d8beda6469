"""The coordinators' workplace keeps no models of its own: this module lets the app take part in
`migrate` (its post_migrate keeps the Coordinators group's permissions up to date)."""
