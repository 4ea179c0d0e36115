"""tf-course-spec: the executable specification of the course, one test module per chapter."""
