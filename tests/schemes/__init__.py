"""Provider tests: one SchemeContract subclass per provider, plus its published vectors."""
