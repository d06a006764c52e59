def userinfo(claims, user):
    claims.update(email=user.email, given_name=user.first_name, family_name=user.last_name, name=user.get_full_name())
    return claims


def id_token_with_groups(id_token, user, **kwargs):
    """Like Entra ID: the groups are in the ID token, not in the userinfo answer."""
    id_token["groups"] = sorted(user.groups.values_list("name", flat=True))
    return id_token
