"""The default assessment instrument Polo ships: the Incidence Manual."""
