// Empty: cargo wants a target; nothing here is ever compiled.
