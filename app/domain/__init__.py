"""What the product does, with no request object: views call these, tests call them too."""
