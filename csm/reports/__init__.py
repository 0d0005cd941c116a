"""Reports: gather rows, apply the domain rules, return a model that is also the JSON contract."""
