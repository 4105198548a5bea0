"""Small model helpers shared by the apps. Plain library code: imports no app."""


def with_status_flags(cls):
    """Give a model with a `Status` TextChoices one `is_<value>` property per status, so that
    templates and views ask `answer.is_pending` instead of comparing status strings."""
    for value in cls.Status.values:
        name = f"is_{value}"
        if hasattr(cls, name):
            raise TypeError(f"{cls.__name__}.{name} already exists")
        setattr(cls, name, property(lambda self, value=value: self.status == value))
    return cls
