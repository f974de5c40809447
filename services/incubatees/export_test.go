package incubatees

import "github.com/incuchain/incuchain/services/incubatees/internal/domain"

func domainCheck(first17 string) (byte, bool) { return domain.CheckCharacter(first17) }
