# only comments

   # and blanks
