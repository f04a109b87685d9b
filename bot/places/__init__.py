"""Help points (post offices, one-stop desks, police) on today's administrative map.

``units`` builds the 34 provinces and their communes, with former names, from maintained
packages; ``importer`` reads help points from CSV; ``directory`` finds them by place name
or coordinates; ``hours`` says whether one is open.
"""
