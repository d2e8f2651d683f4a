module github.com/arklow/arklow-mock/tools

go 1.26.8

require github.com/arklow/arklow-mock v0.0.0

replace github.com/arklow/arklow-mock => ../
