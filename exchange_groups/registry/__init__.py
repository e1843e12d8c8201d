"""The JST registry (TERYT): loading the official register, diacritic-blind search, the unit picker field."""
