package ports

func (h *HTTP) residencyRoutes() []route { return nil }
