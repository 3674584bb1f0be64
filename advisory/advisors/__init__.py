"""The board: the due list, the board overview, advisor pages, their history."""
