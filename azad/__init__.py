"""Azad: the information system for a national response to human trafficking."""
